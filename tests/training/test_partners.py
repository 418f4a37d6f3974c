"""Integration: partners (providers) and speakers — services, admin pages, counts shown,
validation messages, region isolation and query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories.training import ProgramFactory, ProviderFactory, SpeakerFactory
from training.models import Program, Provider, Speaker
from training.selectors import partners as selectors
from training.services import partners as services

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"training:{name}", args=["semarang", *args])


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


# --- Services ----------------------------------------------------------------------------------


def test_provider_name_is_unique_per_region_case_insensitive(region, other_region, in_region):
    services.provider_create(region=region, name="Universitas Diponegoro", kind="university")
    with pytest.raises(ValidationError) as exc:
        services.provider_create(region=region, name="universitas  diponegoro", kind="ngo")
    assert exc.value.message_dict["name"] == [
        "Mitra dengan nama universitas diponegoro sudah terdaftar."
    ]
    assert Provider.objects.filter(region=region).count() == 1
    ProviderFactory(region=other_region, name="Universitas Sumatera Utara")
    services.provider_create(region=region, name="Universitas Sumatera Utara", kind="university")


def test_provider_update_and_deactivate(region, in_region):
    provider = services.provider_create(region=region, name="LSM Cerdas", kind="ngo")
    services.provider_update(provider=provider, name="LSM Cerdas Bangsa", contact_person="Rina")
    services.provider_set_active(provider=provider, active=False)
    provider.refresh_from_db()
    assert (provider.name, provider.contact_person, provider.is_active) == (
        "LSM Cerdas Bangsa",
        "Rina",
        False,
    )


def test_provider_bad_email_is_refused(region, in_region):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(region=region, name="PT Maju", kind="private", email="bukan")
    assert "email" in exc.value.message_dict
    assert not Provider.objects.exists()


def test_speaker_provider_must_be_of_the_region_and_active(region, other_region, in_region):
    leak = ProviderFactory(region=other_region)
    with pytest.raises(ValidationError) as exc:
        services.speaker_create(region=region, name="Dr. Ani", provider=leak)
    assert exc.value.message_dict["provider"] == ["Mitra tidak ditemukan di wilayah ini."]
    inactive = ProviderFactory(region=region, is_active=False, name="Mitra Lama")
    with pytest.raises(ValidationError, match="Mitra Lama tidak aktif"):
        services.speaker_create(region=region, name="Dr. Ani", provider=inactive)
    assert not Speaker.objects.exists()


def test_speaker_keeps_its_provider_after_the_provider_is_deactivated(region, in_region):
    provider = ProviderFactory(region=region)
    speaker = services.speaker_create(
        region=region, name="Dr. Ani", provider=provider, is_volunteer=True
    )
    services.provider_set_active(provider=provider, active=False)
    services.speaker_update(speaker=speaker, provider=provider, expertise="Etika publik")
    speaker.refresh_from_db()
    assert (speaker.provider, speaker.expertise, speaker.is_volunteer) == (
        provider,
        "Etika publik",
        True,
    )


def test_provider_counts_programmes_and_volunteers(region, other_region, in_region):
    provider = ProviderFactory(region=region)
    ProgramFactory(region=region, provider=provider)
    ProgramFactory(region=region, provider=provider, status=Program.Status.DRAFT)
    ProgramFactory(region=region)
    SpeakerFactory(region=region, provider=provider, is_volunteer=True)
    SpeakerFactory(region=region, provider=provider, is_volunteer=True, is_active=False)
    SpeakerFactory(region=region, provider=provider)
    SpeakerFactory(region=region, is_volunteer=True)  # individual volunteer
    SpeakerFactory(region=other_region, is_volunteer=True)
    found = selectors.provider_get(region=region, pk=provider.pk)
    assert (found.program_count, found.published_program_count) == (2, 1)
    assert (found.speaker_count, found.volunteer_count) == (2, 1)
    summary = selectors.partner_summary(region=region)
    assert summary["volunteer_speakers"] == 2
    assert summary["speakers"] == 3


# --- Pages -------------------------------------------------------------------------------------


def test_provider_list_search_kind_and_volunteer_count(admin, region, other_region, login):
    ProviderFactory(region=region, name="Universitas Negeri Semarang", kind="university")
    ProviderFactory(region=region, name="Yayasan Literasi", kind="ngo")
    ProviderFactory(region=other_region, name="Rahasia Binjai mitra")
    SpeakerFactory(region=region, is_volunteer=True)
    SpeakerFactory(region=other_region, is_volunteer=True, name="Rahasia Binjai narasumber")
    client = login(admin)
    response = client.get(url("provider_list"))
    body = response.content.decode()
    assert "Universitas Negeri Semarang" in body and "Yayasan Literasi" in body
    assert "Rahasia Binjai" not in body
    assert response.context["summary"]["volunteer_speakers"] == 1
    assert 'data-testid="volunteer-count">1<' in body
    names = [p.name for p in client.get(url("provider_list") + "?q=literasi").context["page"]]
    assert names == ["Yayasan Literasi"]
    names = [p.name for p in client.get(url("provider_list") + "?kind=university").context["page"]]
    assert names == ["Universitas Negeri Semarang"]


def test_create_provider_and_duplicate_message(admin, region, login):
    client = login(admin)
    response = client.post(
        url("provider_create"),
        {"name": "BPSDM Jawa Tengah", "kind": "bpsdm", "email": "bpsdm@jatengprov.go.id"},
    )
    with scopes_disabled():
        provider = Provider.objects.get(region=region)
    assert response.url == url("provider_detail", provider.pk)
    response = client.post(url("provider_create"), {"name": "bpsdm jawa tengah", "kind": "bpsdm"})
    assert response.status_code == 200
    assert "sudah terdaftar" in response.content.decode()
    response = client.post(url("provider_create"), {"name": "X", "kind": "alien"})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    with scopes_disabled():
        assert Provider.objects.count() == 1


def test_provider_detail_shows_programme_count(admin, region, login):
    provider = ProviderFactory(region=region, name="Universitas Diponegoro")
    for n in range(3):
        ProgramFactory(region=region, provider=provider, title=f"Program Undip {n}")
    ProgramFactory(region=region, title="Program lain")
    response = login(admin).get(url("provider_detail", provider.pk))
    body = response.content.decode()
    assert response.context["provider"].program_count == 3
    assert 'data-testid="program-count">3<' in body
    assert "Program Undip 2" in body and "Program lain" not in body


def test_edit_and_deactivate_provider(admin, region, login):
    provider = ProviderFactory(region=region)
    client = login(admin)
    client.post(url("provider_edit", provider.pk), {"name": "Nama Baru", "kind": "private"})
    assert client.get(url("provider_toggle", provider.pk)).status_code == 200
    response = client.post(url("provider_toggle", provider.pk), {"active": "0"})
    assert response.url == url("provider_detail", provider.pk)
    with scopes_disabled():
        provider.refresh_from_db()
    assert (provider.name, provider.kind, provider.is_active) == ("Nama Baru", "private", False)
    inactive = client.get(url("provider_list")).context["page"].object_list
    assert provider not in list(inactive)
    assert provider in list(client.get(url("provider_list") + "?status=all").context["page"])
    assert client.post(url("provider_toggle", provider.pk), {"active": "x"}).status_code == 400


def test_create_speaker_with_provider_and_volunteer_filter(admin, region, other_region, login):
    provider = ProviderFactory(region=region)
    leak = ProviderFactory(region=other_region)
    client = login(admin)
    response = client.post(
        url("speaker_create"),
        {"name": "Prof. Budi", "provider": provider.pk, "is_volunteer": "on"},
    )
    assert response.url == url("speaker_list")
    response = client.post(url("speaker_create"), {"name": "Penyusup", "provider": leak.pk})
    assert "Mitra tidak ditemukan di wilayah ini." in response.content.decode()
    client.post(url("speaker_create"), {"name": "Bu Rina"})
    with scopes_disabled():
        assert sorted(Speaker.objects.values_list("name", flat=True)) == ["Bu Rina", "Prof. Budi"]
    volunteers = client.get(url("speaker_list") + "?volunteer=1").context["page"]
    assert [s.name for s in volunteers] == ["Prof. Budi"]
    by_provider = client.get(url("speaker_list") + f"?provider={provider.pk}").context["page"]
    assert [s.name for s in by_provider] == ["Prof. Budi"]


def test_edit_and_deactivate_speaker(admin, region, login):
    speaker = SpeakerFactory(region=region)
    client = login(admin)
    client.post(url("speaker_edit", speaker.pk), {"name": "Dr. Citra", "expertise": "SAKIP"})
    client.post(url("speaker_toggle", speaker.pk), {"active": "0"})
    with scopes_disabled():
        speaker.refresh_from_db()
    assert (speaker.name, speaker.expertise, speaker.is_active) == ("Dr. Citra", "SAKIP", False)


def test_other_regions_partners_are_404(admin, other_region, login):
    provider = ProviderFactory(region=other_region)
    speaker = SpeakerFactory(region=other_region)
    client = login(admin)
    assert client.get(url("provider_detail", provider.pk)).status_code == 404
    assert client.post(url("provider_toggle", provider.pk), {"active": "0"}).status_code == 404
    assert client.post(url("speaker_edit", speaker.pk), {"name": "x"}).status_code == 404
    with scopes_disabled():
        provider.refresh_from_db()
    assert provider.is_active


# --- Query counts ------------------------------------------------------------------------------


def test_provider_list_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)

    def add():
        provider = ProviderFactory(region=region)
        ProgramFactory(region=region, provider=provider)
        SpeakerFactory(region=region, provider=provider, is_volunteer=True)

    add()
    expected = count_queries(client, url("provider_list"))
    add()
    add()
    with django_assert_num_queries(expected):
        response = client.get(url("provider_list"))
    assert len(response.context["page"].object_list) == 3


def test_provider_detail_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)
    provider = ProviderFactory(region=region)
    ProgramFactory(region=region, provider=provider)
    SpeakerFactory(region=region, provider=provider)
    expected = count_queries(client, url("provider_detail", provider.pk))
    for _ in range(2):
        ProgramFactory(region=region, provider=provider)
        SpeakerFactory(region=region, provider=provider)
    with django_assert_num_queries(expected):
        client.get(url("provider_detail", provider.pk))


def test_speaker_list_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)
    SpeakerFactory(region=region, provider=ProviderFactory(region=region))
    expected = count_queries(client, url("speaker_list"))
    SpeakerFactory(region=region, provider=ProviderFactory(region=region))
    SpeakerFactory(region=region)
    with django_assert_num_queries(expected):
        response = client.get(url("speaker_list"))
    assert len(response.context["page"].object_list) == 3
