"""The ledger: what the office asks of its plans, as pure functions of (workspace, today).

- ``queries``: status, list, show and overdue; item references; lights;
- ``review``: the year-end 回头看; ``carryover``: unfinished items into next year's plan;
- ``reports``: the annual-report section, the 台账 and the 督办单, as report values;
- ``calendar``: deadlines as an iCalendar file;
- ``edits``: what an edit means (assign, progress, status, postpone, summary) on a YAML document.
"""
