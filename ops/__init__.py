"""Operating the product in production: the health endpoint (``ops.health``), the JSON
log lines with a request id (``ops.logging``), the security headers of signed-in pages
(``ops.middleware``), and the management commands of the deployment guide."""
