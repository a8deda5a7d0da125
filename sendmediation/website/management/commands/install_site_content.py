"""Install the public website's first content where it is missing; never changes what editors made."""

from typing import Any

from django.core.management.base import BaseCommand

from sendmediation.website.content.install import install_site_content


class Command(BaseCommand):
    help = (
        "Add the home page, the content pages and the testimonials where they are missing. "
        "Pages that exist are left as editors made them. Safe to run on every deployment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        installed = install_site_content()
        for slug in installed.left_for_editors:
            self.stderr.write(
                f"Site content: /{slug}/ still has words we installed wrongly, and a draft waiting. "
                "Publish or discard the draft, then run this again, or correct the words by hand."
            )
        if not installed:
            self.stdout.write("Site content: nothing was missing.")
            return
        parts = []
        if installed.home_page:
            parts.append("the home page")
        if installed.pages:
            parts.append(f"{len(installed.pages)} pages ({', '.join(installed.pages)})")
        if installed.testimonials:
            parts.append(f"{installed.testimonials} testimonials")
        if installed.corrected:
            parts.append(f"corrections to {', '.join(installed.corrected)}")
        self.stdout.write(f"Site content: added {' and '.join(parts)}.")
