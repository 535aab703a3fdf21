package recovery

// Routes of the recovery API, relative to the base URL.
const (
	PathStatus               = "/recovery/v1/status"
	PathMasterSecret         = "/recovery/v1/master-secret" // one-phase reset; PathMasterSecretPending + Activate replace it
	PathMasterSecretPending  = "/recovery/v1/master-secret/pending"
	PathMasterSecretActivate = "/recovery/v1/master-secret/activate"
	PathPassword             = "/recovery/v1/password"
	PathPasswordRule         = "/recovery/v1/password-rule"
	PathTOTP                 = "/recovery/v1/totp"
	PathTOTPConfirm          = "/recovery/v1/totp/confirm"
	PathRecoveryCodes        = "/recovery/v1/recovery-codes"
	PathSupport              = "/recovery/v1/support"
)

// ErrorCode values of the API's error body {"ErrorCode","ErrorMessage",
// "StatusCode"}.
const (
	CodeBadRequest       = "bad-request"            // 400: unreadable body or missing field
	CodeMasterRequired   = "master-key-required"    // 403: a sub-account key was used
	CodeNotFound         = "not-found"              // 404: no such route
	CodeMethodNotAllowed = "method-not-allowed"     // 405
	CodePasswordRefused  = "password-refused"       // 422: the server's password policy said no
	CodeBadSeed          = "bad-seed"               // 400: the TOTP seed is not base32 of 128+ bits
	CodeTwoFactorEnabled = "2fa-enabled"            // 409: enrolment while 2FA is already on
	CodeNoPendingTOTP    = "no-pending-totp"        // 409: confirm without an enrolled seed
	CodeMalformedCode    = "malformed-code"         // 400: the code is not 6 digits
	CodeWrongCode        = "wrong-code"             // 422
	CodeCodeUsed         = "code-used"              // 409: replay of an accepted time step
	CodeTooManyTries     = "too-many-tries"         // 429, with Retry-After
	CodeTwoFactorOff     = "2fa-not-enabled"        // 409: recovery codes before 2FA is on
	CodeReportHasSecret  = "report-contains-secret" // 422: a live secret in clear in the report
	CodeRateLimited      = "rate-limited"           // 429 on other routes
	CodeServerError      = "server-error"           // 5xx
)
