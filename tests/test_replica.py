"""Unit: the read-replica setting (kompetensi/replica.py): explicit reads only, writes and
migrations on the primary."""

from kompetensi.replica import PrimaryReplicaRouter, read_alias


def test_without_a_replica_reads_use_the_primary(settings):
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    assert read_alias() == "default"


def test_with_a_replica_lag_tolerant_reads_may_use_it_and_writes_never(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    assert read_alias() == "replica"
    router = PrimaryReplicaRouter()
    assert router.db_for_read(object) is None  # no silent replica reads
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("default", "training") is True
    assert router.allow_migrate("replica", "training") is False
