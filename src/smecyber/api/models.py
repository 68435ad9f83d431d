# API tokens live in smecyber.accounts (ApiToken); the API stores nothing of its own.
