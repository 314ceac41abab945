package cloud

// Test helpers of package cloud that the external tests run on the
// PostgreSQL backend too (postgres_backend_test.go).
var (
	CheckOrderQuestions = checkOrderQuestions
	CheckOrderSearch    = checkOrderSearch
	CheckSearchAnswers  = checkSearchAnswers
	CheckShipmentIndex  = checkShipmentIndex
	CheckSalePage       = checkSalePage
	BenchOrder          = benchOrder
	FirstPages          = firstPages
	SearchPages         = searchPages
	LazadaCreds         = lazadaCreds
	NoticeKey           = noticeKey
)

// Test constants, as above.
const (
	BenchOrders = benchOrders
	ShopeeCreds = shopeeCreds
)
