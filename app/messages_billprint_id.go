package app

// The terminal's words while an airway bill is on its way to the label
// printer (bill_print.go), in Bahasa Indonesia, merged into the catalogue.
var billPrintIndonesian = map[string]string{
	"Waiting for %s's airway bill: cloud unreachable":                                         "Menunggu resi %s: cloud tidak terjangkau",
	"Waiting for %s's airway bill: %s has not made it yet":                                    "Menunggu resi %s: %s belum membuatnya",
	"Waiting for %s's airway bill: the cloud refused this tablet (pair it again in Settings)": "Menunggu resi %s: cloud menolak tablet ini (sambungkan lagi di Pengaturan)",
	"Waiting for %s's airway bill: %s":                                                        "Menunggu resi %s: %s",
	"Print job %d: this station cannot read orders":                                           "Tugas cetak %d: stasiun ini tidak bisa membaca pesanan",
	"Print job %d has nothing to print":                                                       "Tugas cetak %d tidak punya isi untuk dicetak",
}

func init() {
	for k, v := range billPrintIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
