"""Open data in the API: the same documents as the public addresses, per organisation
and year, for anyone (no sign-in): ``/api/v1/open-data/<organisation>/<year>/360giving/``
and ``.../ocds/``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from workflows.errors import NotVisible

from .opendata import YEARS
from .opendata.ocds import release_package
from .opendata.threesixty import grants_package


def _organisation(organisation_id: int, year: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not YEARS[0] <= year <= YEARS[1]:
        raise NotVisible()
    return organisation


class ThreeSixtyView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="open_data_360giving",
        responses={200: OpenApiTypes.OBJECT},
        description="The organisation's grants of the budget year as 360Giving JSON "
        '(``{"grants": [...]}``), one grant per awarded application, without personal data.',
    )
    def get(self, request, organisation_id: int, year: int):
        return Response(grants_package(_organisation(organisation_id, year), year))


class OcdsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="open_data_ocds",
        responses={200: OpenApiTypes.OBJECT},
        description="The organisation's purchases of the financial year as an OCDS 1.1 "
        "release package, without personal data of natural persons.",
    )
    def get(self, request, organisation_id: int, year: int):
        organisation = _organisation(organisation_id, year)
        path = f"/api/v1/open-data/{organisation_id}/{year}/ocds/"
        return Response(release_package(organisation, year, uri_path=path))
