"""The admin home's "Pekerjaan menunggu" cards open the list filtered to what they count
(issue 16 item 11)."""

import re

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.factories.training import DevelopmentRecordFactory, EnrolmentFactory, OfferingFactory
from training.models import Enrolment, Offering

pytestmark = pytest.mark.django_db


def test_each_card_opens_its_filtered_list(region, admin, employee, login):
    with scope(region=region):
        open_batch = OfferingFactory(region=region, name="Angkatan Buka", requires_approval=True)
        OfferingFactory(region=region, name="Angkatan Jalan", status=Offering.Status.RUNNING)
        OfferingFactory(region=region, name="Angkatan Rencana", status=Offering.Status.PLANNED)
        EnrolmentFactory(
            region=region, offering=open_batch, employee=employee, status=Enrolment.Status.REQUESTED
        )
        DevelopmentRecordFactory(region=region, employee=employee, title="Seminar Arsip")
    client = login(admin)
    home = client.get(reverse("region:home", args=[region.slug])).content.decode()
    section = home[home.index("Pekerjaan menunggu") :]
    cards = re.findall(r'<a class="card stat-card[^"]*" href="([^"]+)"', section)[:4]
    pages = [client.get(url.replace("&amp;", "&")).content.decode() for url in cards]
    approvals, records, open_list, running_list = pages
    assert "Siti Aminah" in approvals
    assert "Seminar Arsip" in records
    assert "Angkatan Buka" in open_list and "Angkatan Jalan" not in open_list
    assert "Angkatan Jalan" in running_list and "Angkatan Buka" not in running_list
    assert "Angkatan Rencana" not in open_list + running_list
