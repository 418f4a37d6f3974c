"""The base of the factories: tenant-owned objects are created with scopes disabled."""

import factory
from django_scopes import scopes_disabled


class ScopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)
