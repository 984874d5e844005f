from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "safehub.linkage"
    label = "linkage"
    verbose_name = "Record linkage"

    def ready(self) -> None:
        from safehub.linkage.selectors import linked_records_for_person
        from safehub.people.sections import Section, register_section

        register_section(
            Section(
                name="linked_records",
                position=30,
                template="linkage/_person_records.html",
                context=lambda person, user: {
                    "linked_records": linked_records_for_person(person, user)
                },
            )
        )
