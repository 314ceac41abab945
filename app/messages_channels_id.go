package app

// The marketplace connectors' messages in Bahasa Indonesia, kept beside
// their own code and merged into the catalogue.
var channelsIndonesian = map[string]string{
	"arrange shipment":                                  "mengatur pengiriman",
	"record the return":                                 "mencatat retur",
	"record a call to the channel":                      "mencatat panggilan ke kanal",
	"telling %s: %s":                                    "memberi tahu %s: %s",
	"%s refused to %s: %s":                              "%s menolak untuk %s: %s",
	"%s heard: %s":                                      "%s sudah menerima: %s",
	"Your order is on its way. Tracking ID: %s":         "Pesanan Anda sedang dikirim. Nomor resi: %s",
	"Your order is on its way with %s. Tracking ID: %s": "Pesanan Anda sedang dikirim dengan %s. Nomor resi: %s",
	"send the tracking ID":                              "mengirim nomor resi",
	"unknown step %q":                                   "langkah %q tidak dikenal",
	"must be calling, done or refused, not %q":          "harus calling, done atau refused, bukan %q",
}

func init() {
	for k, v := range channelsIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
