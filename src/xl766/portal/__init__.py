"""The national portal's (Cổng DVCQG) 766 data: saved answers → the scoring table, and a polite
client that saves a province's answers. Reading needs no network; ``fetch`` is imported only by
``xl766 tai-cong`` and the ribbon button."""
