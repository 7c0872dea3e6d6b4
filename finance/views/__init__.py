"""Finance pages: the payment queue and batches, the budget plan and yearly summary, and
the settlement register with its exports. One module per area; ``finance.urls`` holds
every address."""
