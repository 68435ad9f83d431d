"""An SME's domains and ownership verification (DNS TXT token or a file under /.well-known/)."""
