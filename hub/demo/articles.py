"""The demo articles: news from the fictional Kabupaten Suka Maju, in Indonesian.

Every event, person and figure here is invented.
"""

from .content import REGENCY, ArticleSpec, bullets, heading, image, paragraph, quote

ARTICLES = (
    ArticleSpec(
        slug="pekan-imunisasi-anak-puskesmas-tanjung-asri",
        title="Pekan Imunisasi Anak di Puskesmas Tanjung Asri Jangkau 1.200 Balita",
        summary=(
            "Dinas Kesehatan menggelar pekan imunisasi anak di Puskesmas Tanjung Asri dan posyandu sekitarnya. "
            "Selama enam hari, petugas melayani lebih dari 1.200 balita, termasuk anak yang jadwal imunisasinya "
            "sempat tertunda."
        ),
        category="kesehatan",
        source_unit="dinkes",
        tags=("imunisasi", "puskesmas", "kesehatan anak"),
        hero_label="Pekan Imunisasi Anak",
        published=(1, 9, 10),
        body=(
            paragraph(
                f"Pemerintah {REGENCY} melalui Dinas Kesehatan menggelar pekan imunisasi anak di Puskesmas "
                "Tanjung Asri dan 14 posyandu di wilayah kerjanya. Kegiatan selama enam hari itu menyasar balita "
                "yang belum mendapat imunisasi dasar lengkap maupun imunisasi lanjutan."
            ),
            heading("Menjemput anak yang tertinggal jadwal"),
            paragraph(
                "Petugas puskesmas bersama kader posyandu mendata ulang anak yang jadwal imunisasinya terlewat. "
                "Orang tua yang tidak sempat datang ke posyandu dapat membawa anaknya langsung ke puskesmas, yang "
                "membuka layanan tambahan hingga pukul 14.00 WIB."
            ),
            quote(
                "Kami tidak ingin ada anak yang tertinggal hanya karena orang tuanya sibuk bekerja atau rumahnya "
                "jauh dari posyandu. Karena itu petugas juga mendatangi dusun-dusun terjauh.",
                f"dr. Ratna Wulandari, Kepala Dinas Kesehatan {REGENCY}",
            ),
            heading("Periksa buku KIA"),
            paragraph(
                "Orang tua diimbau memeriksa buku Kesehatan Ibu dan Anak (KIA) untuk memastikan imunisasi anaknya "
                "sudah lengkap. Layanan imunisasi di puskesmas dan posyandu <b>tidak dipungut biaya</b>.",
                "Jadwal posyandu dapat ditanyakan kepada kader di desa masing-masing.",
            ),
        ),
    ),
    ArticleSpec(
        slug="perbaikan-jalan-poros-mekar-sari-bukit-indah",
        title="Perbaikan Jalan Poros Mekar Sari–Bukit Indah Ditargetkan Rampung Akhir Bulan",
        summary=(
            "Dinas PUPR memperbaiki ruas jalan poros sepanjang 4,2 kilometer yang menghubungkan Kecamatan Mekar "
            "Sari dan Bukit Indah. Pengendara diminta berhati-hati karena sebagian lajur ditutup bergantian."
        ),
        category="infrastruktur",
        source_unit="dinas-pupr",
        tags=("jalan", "perbaikan jalan", "lalu lintas"),
        hero_label="Perbaikan Jalan Poros",
        published=(2, 14, 30),
        body=(
            paragraph(
                "Dinas Pekerjaan Umum dan Penataan Ruang (PUPR) mulai memperbaiki ruas jalan poros Mekar Sari–Bukit "
                "Indah. Jalan yang menjadi jalur utama angkutan hasil panen itu rusak di sejumlah titik setelah "
                "musim hujan panjang."
            ),
            image(
                "Pengaspalan ulang",
                "Alat berat meratakan lapisan aspal baru di ruas Mekar Sari–Bukit Indah (ilustrasi).",
            ),
            heading("Sistem buka-tutup lajur"),
            paragraph(
                "Selama pengerjaan, lalu lintas diatur dengan sistem buka-tutup. Petugas Dinas Perhubungan berjaga "
                "di kedua ujung ruas yang sedang dikerjakan. Pengendara disarankan:",
                bullets(
                    "mengurangi kecepatan dan mengikuti arahan petugas;",
                    "menghindari jam sibuk pagi pukul 06.00–08.00 WIB;",
                    "memakai jalur alternatif lewat Desa Sukarame bagi kendaraan besar.",
                ),
            ),
            quote(
                "Pekerjaan kami bagi per segmen agar jalan tetap bisa dilalui. Kalau cuaca mendukung, seluruh ruas "
                "selesai sebelum akhir bulan.",
                "Ir. Bambang Setiadi, Kepala Dinas PUPR",
            ),
        ),
    ),
    ArticleSpec(
        slug="pendaftaran-murid-baru-sd-smp-dibuka-daring",
        title="Pendaftaran Murid Baru SD dan SMP Negeri Dibuka Secara Daring",
        summary=(
            "Dinas Pendidikan membuka pendaftaran murid baru jenjang SD dan SMP negeri melalui laman daring. "
            "Orang tua yang kesulitan mendaftar dapat dibantu di posko layanan yang tersedia di setiap kecamatan."
        ),
        category="pendidikan",
        source_unit="disdik",
        tags=("penerimaan murid baru", "sekolah", "layanan daring"),
        hero_label="Penerimaan Murid Baru",
        published=(4, 10, 0),
        body=(
            paragraph(
                "Pendaftaran murid baru untuk SD dan SMP negeri tahun ajaran ini dilakukan sepenuhnya secara "
                "daring. Orang tua cukup menyiapkan kartu keluarga, akta kelahiran, dan rapor terakhir bagi calon "
                "murid SMP."
            ),
            heading("Empat jalur pendaftaran"),
            paragraph(
                "Calon murid dapat memilih salah satu jalur berikut:",
                bullets(
                    "<b>domisili</b>, berdasarkan jarak rumah ke sekolah;",
                    "<b>afirmasi</b>, bagi keluarga kurang mampu dan penyandang disabilitas;",
                    "<b>mutasi</b>, bagi anak yang orang tuanya pindah tugas;",
                    "<b>prestasi</b>, khusus jenjang SMP.",
                ),
            ),
            heading("Posko bantuan di kecamatan"),
            paragraph(
                "Setiap kantor kecamatan membuka posko pendaftaran pada hari kerja pukul 08.00–15.00 WIB. Petugas "
                "membantu orang tua yang tidak memiliki perangkat atau belum terbiasa mendaftar secara daring."
            ),
            quote(
                "Pendaftaran daring membuat prosesnya lebih terbuka. Orang tua bisa memantau sendiri posisi anaknya "
                "tanpa harus antre di sekolah.",
                "Sri Handayani, Kepala Dinas Pendidikan",
            ),
        ),
    ),
    ArticleSpec(
        slug="simulasi-siaga-banjir-bantaran-sungai-asri",
        title="BPBD dan Warga Bantaran Sungai Asri Ikuti Simulasi Siaga Banjir",
        summary=(
            "Sekitar 300 warga di bantaran Sungai Asri mengikuti simulasi siaga banjir bersama BPBD. Latihan ini "
            "menguji jalur evakuasi, peringatan dini, dan kesiapan posko pengungsian menjelang puncak musim hujan."
        ),
        category="kebencanaan",
        source_unit="bpbd",
        tags=("banjir", "simulasi bencana", "kesiapsiagaan"),
        hero_label="Simulasi Siaga Banjir",
        published=(5, 8, 0),
        video_url="https://www.youtube.com/watch?v=SiarDemo001",
        body=(
            paragraph(
                f"Badan Penanggulangan Bencana Daerah (BPBD) {REGENCY} menggelar simulasi siaga banjir di tiga desa "
                "di bantaran Sungai Asri. Warga, relawan, perangkat desa, dan tenaga kesehatan berlatih bersama "
                "menghadapi skenario air sungai naik pada malam hari."
            ),
            image(
                "Jalur evakuasi",
                "Warga berlatih menuju titik kumpul melalui jalur evakuasi yang sudah diberi rambu (ilustrasi).",
            ),
            heading("Sirene dan pengeras suara masjid"),
            paragraph(
                "Peringatan dini disampaikan lewat sirene di pos pantau dan pengeras suara masjid. Dalam waktu 25 "
                "menit, warga lanjut usia, ibu hamil, dan anak-anak sudah dipindahkan ke posko pengungsian di balai "
                "desa yang lebih tinggi."
            ),
            quote(
                "Latihan seperti ini membuat warga hafal ke mana harus pergi dan siapa yang harus ditolong lebih "
                "dulu. Saat kejadian sungguhan, setiap menit sangat berharga.",
                "Agus Prasetyo, Kepala Pelaksana BPBD",
            ),
            heading("Siapkan tas siaga keluarga"),
            paragraph(
                "BPBD mengimbau setiap keluarga menyiapkan tas siaga berisi:",
                bullets(
                    "dokumen penting dalam kantong kedap air;",
                    "obat-obatan, senter, dan pengisi daya;",
                    "pakaian ganti serta makanan ringan untuk tiga hari.",
                ),
            ),
        ),
    ),
    ArticleSpec(
        slug="kim-sumber-rejeki-ajak-warga-cerdas-bermedia-sosial",
        title="KIM Sumber Rejeki Ajak Warga Desa Karang Sentosa Cerdas Bermedia Sosial",
        summary=(
            "Kelompok Informasi Masyarakat (KIM) Sumber Rejeki mengadakan pelatihan literasi digital bagi warga "
            "Desa Karang Sentosa. Peserta belajar mengenali hoaks, memeriksa sumber berita, dan menjaga keamanan "
            "akun media sosial."
        ),
        category="pendidikan",
        source_unit="kim-sumber-rejeki",
        tags=("literasi digital", "hoaks", "KIM"),
        hero_label="Literasi Digital Desa",
        published=(7, 19, 30),
        body=(
            paragraph(
                "Sebanyak 45 warga Desa Karang Sentosa, mulai dari pelajar, ibu rumah tangga, hingga pengurus "
                "kelompok tani, mengikuti pelatihan literasi digital yang digelar KIM Sumber Rejeki di balai desa."
            ),
            heading("Cek dulu sebelum berbagi"),
            paragraph(
                "Peserta diajak membedah contoh pesan berantai yang sempat beredar di grup percakapan warga. Mereka "
                "belajar memeriksa tanggal dan sumber berita, mencari pembanding di situs resmi pemerintah daerah, "
                "serta mengenali foto lama yang diedarkan ulang."
            ),
            quote(
                "Banyak warga menerima informasi pertama kali dari grup percakapan. Kalau satu orang terbiasa "
                "mengecek dulu, satu grup ikut terlindungi.",
                "Nur Aini, Ketua KIM Sumber Rejeki",
            ),
            paragraph(
                "Di sesi terakhir, peserta mempraktikkan cara mengaktifkan verifikasi dua langkah di akun media "
                "sosial. KIM Sumber Rejeki berencana mengulang pelatihan serupa di dua dusun lain bulan depan."
            ),
        ),
    ),
    ArticleSpec(
        slug="operasi-pasar-murah-jelang-hari-raya",
        title="Operasi Pasar Murah Jelang Hari Raya Digelar di Tiga Kecamatan",
        summary=(
            "Untuk menjaga daya beli warga menjelang hari raya, Dinas Perdagangan menggelar operasi pasar murah di "
            "tiga kecamatan. Beras, minyak goreng, gula, dan telur dijual di bawah harga pasar dengan pembatasan "
            "jumlah pembelian."
        ),
        category="ekonomi",
        source_unit="dinas-perdagangan",
        tags=("pasar murah", "harga pangan", "kebutuhan pokok"),
        hero_label="Operasi Pasar Murah",
        published=(9, 11, 15),
        body=(
            paragraph(
                "Dinas Perdagangan bekerja sama dengan Bulog dan distributor lokal menyediakan 12 ton beras, 6.000 "
                "liter minyak goreng, 4 ton gula pasir, dan 2 ton telur untuk operasi pasar murah menjelang hari "
                "raya."
            ),
            heading("Jadwal dan lokasi"),
            paragraph(
                bullets(
                    "Senin: halaman Kantor Kecamatan Tanjung Asri;",
                    "Rabu: Pasar Mekar Sari;",
                    "Jumat: lapangan Kecamatan Bukit Indah.",
                ),
                "Penjualan dibuka pukul 08.00 WIB sampai persediaan habis.",
            ),
            image(
                "Pasar murah",
                "Warga antre membeli bahan pokok dalam operasi pasar murah (ilustrasi).",
            ),
            paragraph(
                "Pembeli cukup menunjukkan KTP. Setiap orang dapat membeli paling banyak 5 kilogram beras, 2 liter "
                "minyak goreng, 2 kilogram gula, dan 1 kilogram telur agar lebih banyak warga kebagian."
            ),
            quote(
                "Harga di pasar mulai naik sejak dua minggu terakhir. Operasi pasar ini menahan lonjakan harga "
                "sekaligus memastikan warga berpenghasilan rendah tetap bisa berbelanja.",
                "Yusuf Maulana, Kepala Dinas Perdagangan",
            ),
        ),
    ),
    ArticleSpec(
        slug="kecamatan-mekar-sari-luncurkan-layanan-antar-dokumen",
        title="Kecamatan Mekar Sari Luncurkan Layanan Antar Dokumen Kependudukan",
        summary=(
            "Warga Kecamatan Mekar Sari kini tidak perlu bolak-balik ke kantor kecamatan untuk mengambil KTP "
            "elektronik, kartu keluarga, dan akta kelahiran. Dokumen yang sudah jadi diantar langsung ke rumah "
            "tanpa biaya."
        ),
        category="pemerintahan",
        source_unit="kecamatan-mekar-sari",
        tags=("pelayanan publik", "inovasi", "administrasi kependudukan"),
        hero_label="Layanan Antar Dokumen",
        published=(11, 13, 45),
        body=(
            paragraph(
                "Kecamatan Mekar Sari meluncurkan layanan antar dokumen kependudukan. Dokumen yang sudah selesai "
                "dicetak diantar petugas kecamatan bersama perangkat desa ke alamat pemohon."
            ),
            heading("Cara mengajukan"),
            paragraph(
                bullets(
                    "Ajukan permohonan dokumen seperti biasa di kantor kecamatan atau desa.",
                    "Centang pilihan <i>antar ke rumah</i> dan cantumkan nomor telepon yang aktif.",
                    "Petugas menghubungi pemohon sehari sebelum dokumen diantar.",
                    ordered=True,
                ),
            ),
            quote(
                "Sebagian warga kami tinggal belasan kilometer dari kantor kecamatan. Mengambil satu lembar kartu "
                "keluarga bisa menghabiskan setengah hari kerja. Sekarang cukup menunggu di rumah.",
                "Hendra Gunawan, Camat Mekar Sari",
            ),
            paragraph(
                "Pada bulan pertama, 310 dokumen telah diantar ke rumah warga. Pemohon wajib menunjukkan KTP asli "
                "saat menerima dokumen."
            ),
        ),
    ),
    ArticleSpec(
        slug="diskominfo-pasang-wifi-publik-balai-desa",
        title="Diskominfo Pasang Wi-Fi Publik Gratis di 20 Balai Desa",
        summary=(
            "Diskominfo memasang titik Wi-Fi publik gratis di 20 balai desa yang sinyal selulernya masih lemah. "
            "Akses internet ini diutamakan untuk pelayanan desa, belajar daring pelajar, dan pemasaran produk UMKM."
        ),
        category="infrastruktur",
        source_unit="diskominfo",
        tags=("wi-fi publik", "desa digital", "internet"),
        hero_label="Wi-Fi Publik Desa",
        published=(13, 15, 0),
        body=(
            paragraph(
                f"Dinas Komunikasi dan Informatika {REGENCY} memasang titik Wi-Fi publik di 20 balai desa. Desa "
                "penerima dipilih berdasarkan hasil pemetaan sinyal seluler yang dilakukan bersama kecamatan."
            ),
            heading("Bisa dipakai warga sepanjang hari"),
            paragraph(
                "Jaringan dapat diakses gratis pukul 06.00–22.00 WIB di sekitar balai desa. Setiap pengguna "
                "mendapat kuota waktu dua jam per sesi agar akses tetap merata."
            ),
            image(
                "Titik Wi-Fi desa",
                "Pelajar mengerjakan tugas sekolah memakai Wi-Fi publik di balai desa (ilustrasi).",
            ),
            paragraph(
                "Perangkat desa juga memanfaatkan jaringan ini untuk mengunggah data pelayanan dan laporan "
                "keuangan desa yang sebelumnya harus dikirim dari kantor kecamatan."
            ),
            quote(
                "Internet sekarang sama pentingnya dengan jalan. Tahun depan kami menargetkan 30 desa lagi, "
                "terutama di wilayah perbukitan.",
                "Fajar Nugroho, Kepala Diskominfo",
            ),
        ),
    ),
)
