package app

// The Arrange dialog's rates and the courier bookings' messages in Bahasa
// Indonesia, merged into the catalogue.
var postIndonesian = map[string]string{
	"same or next day":      "hari ini atau besok",
	"%d-%d days":            "%d-%d hari",
	"must be 0 to %d grams": "harus 0 sampai %d gram",
	"must be 0 to %d cm":    "harus 0 sampai %d cm",
	"Ships with %s's own logistics: the marketplace books the courier":                                                     "Dikirim dengan logistik %s sendiri: marketplace yang memesan kurir",
	"Booked with %s: the cloud books the courier you choose and %s finds a driver":                                         "Dipesan lewat %s: cloud memesan kurir yang Anda pilih dan %s mencarikan pengemudi",
	"Your own courier: staff or the shop's courier take it; no booking is made":                                            "Kurir sendiri: staf atau kurir toko yang mengantar; tidak ada pemesanan",
	"The tablet is offline: rates cannot be asked now":                                                                     "Tablet sedang offline: ongkos kirim tidak bisa ditanyakan sekarang",
	"The cloud did not answer: rates cannot be asked now":                                                                  "Cloud tidak menjawab: ongkos kirim tidak bisa ditanyakan sekarang",
	"The courier service did not answer: %s":                                                                               "Layanan kurir tidak menjawab: %s",
	"The cloud does not have this order yet: try again once it is synced":                                                  "Cloud belum memiliki pesanan ini: coba lagi setelah tersinkron",
	"%s has no courier for this parcel":                                                                                    "%s tidak punya kurir untuk paket ini",
	"Choose the courier yourself: the booking is queued and sent with the provider's price when the tablet is back online": "Pilih kurir sendiri: pemesanan diantrekan dan dikirim dengan harga dari penyedia saat tablet kembali online",
	"Time":                 "Waktu",
	"choose a pickup time": "pilih waktu penjemputan",
	"choose the courier: rates cannot be asked now": "pilih kurir: ongkos kirim tidak bisa ditanyakan sekarang",
	"%s offers no %s service for this parcel":       "%s tidak menawarkan layanan %s untuk paket ini",
	"%s offers no %s %s service for this parcel":    "%s tidak menawarkan layanan %s %s untuk paket ini",
}

func init() {
	for k, v := range postIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
