module lacme.test/ca_parser_oracle

go 1.19
