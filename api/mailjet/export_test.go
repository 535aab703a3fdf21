package mailjet

// WithPageSize exposes the page-size option to the external tests.
func WithPageSize(n int) Option { return withPageSize(n) }
