package app

// Shopee's connector and the per-channel ordering rules, in Bahasa
// Indonesia, merged into the catalogue.
var shopeeIndonesian = map[string]string{
	"%s gave the tracking ID %s (%s)":     "%s memberi nomor resi %s (%s)",
	"%s gave the tracking ID %s":          "%s memberi nomor resi %s",
	"decline the cancel request":          "menolak permintaan pembatalan",
	"%s; %s":                              "%s; %s",
	"%s; the pickup is cancelled with it": "%s; penjemputan ikut dibatalkan",
	"the buyer asked %s to cancel: approve or decline the request first": "pembeli meminta %s membatalkan: setujui atau tolak permintaannya dulu",
}

func init() {
	for k, v := range shopeeIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
