package app

// Courier bookings' messages (courier_booking.go) in Bahasa Indonesia,
// kept beside their own code and merged into the catalogue.
var couriersIndonesian = map[string]string{
	"%q does not book couriers":                                               "%q tidak memesan kurir",
	"%q does not push statuses":                                               "%q tidak mengirim status",
	"%q is not one of logistics, shipper or biteship":                         "%q bukan salah satu dari logistics, shipper atau biteship",
	"%s (kept: the shipment is already %s)":                                   "%s (dicatat: pengiriman sudah %s)",
	"%s booking %s (%s) is not the order's current shipment; nothing changed": "pemesanan %s %s (%s) bukan pengiriman pesanan saat ini; tidak ada yang diubah",
	"%s refused the booking: %s (code %s)":                                    "%s menolak pemesanan: %s (kode %s)",
	"%s status %s %s":                                                         "status %s %s %s",
	"%s status %s %s for a shipment not booked with it; nothing changed":      "status %s %s %s untuk pengiriman yang tidak dipesan di sana; tidak ada yang diubah",
	"%s: cancelled by %s; arrange it again":                                   "%s: dibatalkan oleh %s; atur ulang pengiriman",
	"%s: courier assigned":                                                    "%s: kurir ditugaskan",
	"%s: courier assigned (%s, %s, %s)":                                       "%s: kurir ditugaskan (%s, %s, %s)",
	"%s: courier heading to pickup":                                           "%s: kurir menuju lokasi penjemputan",
	"%s: delivered to the buyer":                                              "%s: diterima pembeli",
	"%s: failed":                                                              "%s: gagal",
	"%s: picked up":                                                           "%s: sudah dijemput kurir",
	"%s: returned to the shop":                                                "%s: dikembalikan ke toko",
	"%s: searching for a courier":                                             "%s: mencari kurir",
	"%s; booking with %s (%s %s, %s)":                                         "%s; memesan di %s (%s %s, %s)",
	"%s; waybill %s":                                                          "%s; resi %s",
	"Booked with %s: order %s; %s is searching for a courier":                 "Dipesan di %s: pesanan %s; %s sedang mencari kurir",
	"Booking %s cancelled at %s":                                              "Pemesanan %s dibatalkan di %s",
	"Booking with %s pending: service unreachable, retrying":                  "Pemesanan di %s tertunda: layanan tidak dapat dihubungi, mencoba lagi",
	"Courier provider":                                                        "Penyedia kurir",
	"Rate":                                                                    "Tarif",
	"Rate courier":                                                            "Kurir tarif",
	"Rate courier name":                                                       "Nama kurir tarif",
	"Rate service":                                                            "Layanan tarif",
	"Rate service name":                                                       "Nama layanan tarif",
	"Rate id":                                                                 "ID tarif",
	"Rate price":                                                              "Harga tarif",
	"Returned to the shop":                                                    "Dikembalikan ke toko",
	"apply the courier's status":                                              "menerapkan status kurir",
	"booking":                                                                 "pemesanan",
	"booking state":                                                           "status pemesanan",
	"choose a courier and service from %s's rates":                            "pilih kurir dan layanan dari tarif %s",
	"has a field that is too long":                                            "memiliki isian yang terlalu panjang",
	"is required for a booking that was made":                                 "wajib untuk pemesanan yang sudah dibuat",
	"is longer than %d characters":                                            "lebih dari %d karakter",
	"marketplace orders ship with the marketplace's own logistics, not %s": "pesanan marketplace dikirim dengan logistik marketplace, bukan %s",
	"must not be negative":       "tidak boleh negatif",
	"provider order id":          "ID pesanan penyedia",
	"record the courier booking": "mencatat pemesanan kurir",
	"status code":                "kode status",
	"status text":                "teks status",
	"driver name":                "nama pengemudi",
	"driver phone":               "telepon pengemudi",
	"driver plate":               "pelat nomor pengemudi",
	"Shipper":                    "Shipper",
	"Biteship":                   "Biteship",
	"the shop's courier":         "kurir toko",
}

func init() {
	for k, v := range couriersIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
