from django.urls import path

from .views import members, profile

app_name = "accounts"
urlpatterns = [
    path("organizacja/<int:pk>/czlonkowie/", members.members, name="members"),
    path("organizacja/<int:pk>/czlonkowie/<int:user_pk>/", members.member, name="member"),
    path(
        "organizacja/<int:pk>/czlonkowie/<int:user_pk>/odbierz-role/",
        members.member_role_revoke,
        name="member_role_revoke",
    ),
    path(
        "organizacja/<int:pk>/czlonkowie/<int:user_pk>/dezaktywuj/",
        members.member_deactivate,
        name="member_deactivate",
    ),
    path("organizacja/<int:pk>/dane/", members.organisation_edit, name="organisation"),
    path("konto/zaproszenie/<str:token>/", members.invitation, name="invitation"),
    path("konto/profil/", profile.profile, name="profile"),
    path("konto/profil/klucz-api/", profile.api_token, name="api_token"),
    path("konto/wypisz/<str:token>/", profile.unsubscribe, name="unsubscribe"),
]
