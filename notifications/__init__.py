"""Notifications: e-mails and the in-app inbox.

Vocabulary:
- ``Notification``: one message to one person about one thing (a transition, a
  reminder, an overdue deadline, a digest). A person with an account sees it in the
  inbox; everyone with an e-mail address gets it by e-mail.
- *Essential* messages (deadlines, decisions) always go; a user may turn the others off.
- ``Delivery``: the e-mail of a notification, with its attempts and outcome.
- A transition declares who is told with ``notify(...)`` among its effects.
"""
