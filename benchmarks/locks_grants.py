"""Does a submit in progress delay a new draft in the same call? Run on purpose:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/locks_grants.py [--repeats 15]

A submit numbers the application with its call locked until it commits. One thread
runs a real submit (``transition_apply(..., "submit")``) inside a transaction that it
then holds open for ``--hold`` seconds, as a slow submit on the evening a call closes
would; meanwhile another thread, on its own connection, creates a draft in the same
call (``services.application_create``: an INSERT whose foreign key takes KEY SHARE on
the call row). Its time is compared with the same create while nothing is in progress
(the baseline, measured in the same run, interleaved). Goal: blocked / unblocked < 1.2.

For comparison the script also holds the call with the plain ``FOR UPDATE`` lock the
submit took before (#18), which the draft has to wait for.
"""

import argparse
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--hold", type=float, default=0.5)
    args = parser.parse_args()
    from grants_world import grant_world, load, median, scratch_database

    print(load())
    with scratch_database():
        from django.db import connection, transaction

        from grants import services
        from grants.models import Call
        from tests.factories import UserFactory
        from workflows.engine import transition_apply

        world = grant_world()
        residents = UserFactory.create_batch(3 * args.repeats + 3)
        drafts = [world.draft(applicant=user) for user in residents[: args.repeats]]
        creators = iter(residents[args.repeats :])

        def create_draft() -> float:
            start = time.perf_counter()
            services.application_create(
                call=world.call, applicant=next(creators), kind="informal_group"
            )
            return time.perf_counter() - start

        def timed_create_in_thread(result: list) -> threading.Thread:
            def run():
                try:
                    result.append(create_draft())
                finally:
                    connection.close()

            thread = threading.Thread(target=run)
            thread.start()
            return thread

        def while_held(hold) -> float:
            """Time a create in another thread while ``hold`` (a function run in an open
            transaction) keeps its locks."""
            ready, result = threading.Event(), []

            def holder():
                try:
                    with transaction.atomic():
                        hold()
                        ready.set()
                        time.sleep(args.hold)
                finally:
                    connection.close()

            thread = threading.Thread(target=holder)
            thread.start()
            ready.wait()
            timed_create_in_thread(result).join()
            thread.join()
            return result[0]

        def unblocked() -> float:
            result = []
            timed_create_in_thread(result).join()
            return result[0]

        def submit(application):
            return lambda: transition_apply(
                obj=application, name="submit", actor=application.applicant
            )

        def old_lock():
            Call.objects.select_for_update().get(pk=world.call.pk)

        free, during_submit, during_old_lock = [], [], []
        for draft in drafts:
            free.append(unblocked())
            during_submit.append(while_held(submit(draft)))
            if len(during_old_lock) < 3:
                during_old_lock.append(while_held(old_lock))
        numbers = sorted(
            world.call.applications.exclude(sequence=None).values_list("sequence", flat=True)
        )
        assert numbers == list(range(1, len(drafts) + 1)), numbers
        base, blocked, old = median(free), median(during_submit), median(during_old_lock)
        print(
            f"create a draft, median of {len(free)}: alone {base * 1000:.1f} ms; while a submit "
            f"in the same call holds its transaction {args.hold:.1f} s: {blocked * 1000:.1f} ms; "
            f"ratio {blocked / base:.2f} (goal < 1.2)"
        )
        print(
            f"for comparison, while the call is held FOR UPDATE (the lock before #18): "
            f"{old * 1000:.1f} ms; ratio {old / base:.2f}"
        )
        print(f"numbers of the {len(numbers)} submitted applications gapless: 1..{numbers[-1]}")
    print(load())


if __name__ == "__main__":
    main()
