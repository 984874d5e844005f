from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safehub.referrals"
    label = "referrals"
    verbose_name = "Referrals and MASH triage"

    def ready(self) -> None:
        from safehub import tasks, timeline
        from safehub.people.sections import Section, register_section
        from safehub.referrals import selectors

        tasks.register_source("referrals", selectors.tasks_for)
        timeline.register_source("referrals", selectors.timeline_for)
        register_section(
            Section(
                name="referrals",
                position=20,
                template="referrals/_person_referrals.html",
                context=lambda person, user: {
                    "referrals": list(selectors.referrals_for_person(person.pk))
                },
            )
        )
