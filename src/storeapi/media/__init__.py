"""Item pictures: decoding and re-encoding uploads (`images`), where files are kept (`storage`,
`s3`), which pictures are kept (`library`), their names (`names`) and demo pictures (`demo`)."""
