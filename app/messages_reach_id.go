package app

// The shared channel side's messages (push routing, OAuth, token refresh,
// reconciliation, credential checks) in Bahasa Indonesia, merged into the
// catalogue.
var reachIndonesian = map[string]string{
	"%s %s is already connected to another shop": "%s %s sudah terhubung ke toko lain",
	"a %s push cannot carry a %s order":          "kiriman %s tidak boleh membawa pesanan %s",

	"connected":                          "terhubung",
	"connected, token expires at %s":     "terhubung, token berlaku sampai %s",
	"token expired at %s: connect again": "token kedaluwarsa pada %s: hubungkan lagi",
	"not connected: press Connect":       "belum terhubung: tekan Hubungkan",
	"the platform refused: %s":           "platform menolak: %s",

	"a %s account is not connected by authorization; set its keys instead":                                            "akun %s tidak dihubungkan lewat otorisasi; isi kuncinya saja",
	"set the %s account's app keys first, then connect":                                                               "isi dulu kunci aplikasi akun %s, lalu hubungkan",
	"is required to connect: the cloud's address the platform sends the owner back to (pos-cloud serve --public-url)": "wajib diisi untuk menghubungkan: alamat cloud tujuan platform mengembalikan pemilik (pos-cloud serve --public-url)",
	"is not a Connect link of this cloud, was used already, or is older than 30 minutes: press Connect again":         "bukan tautan Hubungkan dari cloud ini, sudah dipakai, atau lebih dari 30 menit: tekan Hubungkan lagi",
	"the platform granted no access token":                                                                            "platform tidak memberikan token akses",
	"%s did not answer the %s; try again: %s":                                                                         "%s tidak menjawab %s; coba lagi: %s",
	"%s refused the %s: %s":                                             "%s menolak %s: %s",
	"%s is not connected by authorization":                              "%s tidak dihubungkan lewat otorisasi",
	"authorization":                                                     "otorisasi",
	"token refresh":                                                     "pembaruan token",
	"%s orders cannot be listed from the platform":                      "pesanan %s tidak dapat didaftar dari platform",
	"the shop has no %s account":                                        "toko belum punya akun %s",
	"%s refused to list its orders: %s":                                 "%s menolak mendaftar pesanannya: %s",
	"%s did not answer the order list; try again: %s":                   "%s tidak menjawab daftar pesanan; coba lagi: %s",
	"must be from 1 to 90, got %d":                                      "harus 1 sampai 90, bukan %d",
	"%s needs the running cloud (pos-cloud serve with the same --data)": "%s memerlukan cloud yang berjalan (pos-cloud serve dengan --data yang sama)",

	"%s did not answer the credential check; nothing was saved, try again: %s": "%s tidak menjawab pemeriksaan kredensial; tidak ada yang disimpan, coba lagi: %s",
	"%s refused the credentials; nothing was saved: %s":                        "%s menolak kredensial; tidak ada yang disimpan: %s",
	"WooCommerce refused consumer_key and consumer_secret: %s":                 "WooCommerce menolak consumer_key dan consumer_secret: %s",
	"has no WooCommerce REST API: %s":                                          "tidak memiliki REST API WooCommerce: %s",
	"Tokopedia refused client_id and client_secret: %s":                        "Tokopedia menolak client_id dan client_secret: %s",

	"the request is not signed by %s at this terminal":                                      "permintaan ini tidak ditandatangani oleh %s di terminal ini",
	"the request was signed at %s, too far from the cloud's clock; check the tablet's time": "permintaan ditandatangani pada %s, terlalu jauh dari jam cloud; periksa jam tablet",
	"%d orders listed: %d created, %d moved on, %d already in step, %d could not be synced": "%d pesanan terdaftar: %d dibuat, %d diperbarui, %d sudah sesuai, %d tidak dapat disinkronkan",
	"%d orders listed: %d created, %d moved on, %d already in step":                         "%d pesanan terdaftar: %d dibuat, %d diperbarui, %d sudah sesuai",
	"the request carries no staff signature":                                                "permintaan tidak membawa tanda tangan staf",
	"cannot be read: %s":                                                                    "tidak dapat dibaca: %s",
	"this terminal is not connected to a cloud":                                             "terminal ini tidak terhubung ke cloud",
	"sign in again: %s's key is not unlocked at this terminal":                              "masuk lagi: kunci %s belum terbuka di terminal ini",
	"the cloud cannot be reached: %s":                                                       "cloud tidak dapat dihubungi: %s",
	"the cloud answered %s":                                                                 "cloud menjawab %s",
	"only the owner may see and change the shop's accounts":                                 "hanya pemilik yang boleh melihat dan mengubah akun toko",
}

func init() {
	for k, v := range reachIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
