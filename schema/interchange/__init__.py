"""The interchange formats as fields of Claim: claimReview, prov, comparisonCsv."""
