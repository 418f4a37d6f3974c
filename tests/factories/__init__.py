"""factory_boy factories and test helpers, by app: `tests.factories.regions`,
`tests.factories.training`, `tests.factories.evaluations` (each tenant-owned object is created
with scopes disabled; `base.ScopedFactory`)."""
