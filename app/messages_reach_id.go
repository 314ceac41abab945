package app

// The shared channel side's messages (push routing, OAuth, reconciliation,
// account checks) in Bahasa Indonesia, merged into the catalogue.
var reachIndonesian = map[string]string{
	"%s %s is already connected to another shop": "%s %s sudah terhubung ke toko lain",
	"a %s push cannot carry a %s order":          "kiriman %s tidak boleh membawa pesanan %s",
}

func init() {
	for k, v := range reachIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}

func init() {
	for k, v := range map[string]string{
		"connected":                          "terhubung",
		"connected, token expires at %s":     "terhubung, token berlaku sampai %s",
		"token expired at %s: connect again": "token kedaluwarsa pada %s: hubungkan lagi",
		"not connected: press Connect":       "belum terhubung: tekan Hubungkan",
		"the platform refused: %s":           "platform menolak: %s",
	} {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
