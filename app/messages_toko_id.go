package app

// The Tokopedia and WooCommerce connectors' messages (channel/tokopedia,
// channel/woocommerce) in Bahasa Indonesia, kept apart and merged into the
// catalogue.
var tokoIndonesian = map[string]string{
	"unknown Tokopedia status code %d":                                          "kode status Tokopedia %d tidak dikenal",
	"is required when the body carries no products":                             "wajib diisi bila isi pesan tidak memuat produk",
	"is not a Tokopedia order id: %q":                                           "bukan ID pesanan Tokopedia: %q",
	"must be a whole, non-negative rupiah amount, got %v":                       "harus jumlah rupiah bulat dan tidak negatif, tertulis %v",
	"is not Tokopedia's single order: %s":                                       "bukan pesanan tunggal Tokopedia: %s",
	"is required on every WooCommerce product":                                  "wajib ada pada setiap produk WooCommerce",
	"the WooCommerce account needs store_url, consumer_key and consumer_secret": "akun WooCommerce memerlukan store_url, consumer_key, dan consumer_secret",
	// channel/ and channel/webstore: reading any platform's body.
	"must be %s, got JSON %s":                        "harus %s, tertulis JSON %s",
	"malformed JSON at byte %d: %s":                  "JSON rusak pada byte %d: %s",
	"must be order.created or order.updated, got %q": "harus order.created atau order.updated, tertulis %q",
	"unknown payment method %q":                      "metode pembayaran %q tidak dikenal",
}

func init() {
	for k, v := range tokoIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
