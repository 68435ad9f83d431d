"""People, SMEs, programmes, roles, consent, the audit log, API tokens and GDPR export/delete."""
