"""Named people for tests, so that a test reads like the service: 'the adviser issues...'."""

from dataclasses import dataclass

from sendmediation.accounts.models import User
from sendmediation.localities.models import LocalAuthority

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


@dataclass(frozen=True)
class Family:
    """Families never sign in; they are parties on a case."""

    first_name: str
    last_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Personas:
    parent: Family
    young_person: Family
    coordinator: User
    adviser: User
    mediator: User
    la_officer: User
    manager: User
    authority: LocalAuthority
    other_authority: LocalAuthority
    other_la_officer: User


def make_staff(username: str, role: str, authority: LocalAuthority | None = None, **extra: str) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        role=role,
        local_authority=authority,
        **extra,
    )


def make_personas() -> Personas:
    westminster, _ = LocalAuthority.objects.get_or_create(
        code="E09000033", defaults={"name": "Westminster", "kind": LocalAuthority.Kind.LONDON}
    )
    kent, _ = LocalAuthority.objects.get_or_create(
        code="E10000016", defaults={"name": "Kent", "kind": LocalAuthority.Kind.COUNTY}
    )
    return Personas(
        parent=Family("Sarah", "Khan", "sarah.khan@example.org", "07700 900123"),
        young_person=Family("Jordan", "Price", "jordan.price@example.org", "07700 900456"),
        coordinator=make_staff("cora", User.Role.COORDINATOR, first_name="Cora", last_name="Lind"),
        adviser=make_staff("adam", User.Role.ADVISER, first_name="Adam", last_name="Reeve"),
        mediator=make_staff("mina", User.Role.MEDIATOR, first_name="Mina", last_name="Patel"),
        la_officer=make_staff(
            "olive", User.Role.LA_OFFICER, westminster, first_name="Olive", last_name="Grant"
        ),
        manager=make_staff("max", User.Role.MANAGER, first_name="Max", last_name="Hale"),
        authority=westminster,
        other_authority=kent,
        other_la_officer=make_staff("kit", User.Role.LA_OFFICER, kent, first_name="Kit", last_name="Moss"),
    )
