// zxing_direct.cpp - the anchor: ZXing-C++ 1.4 called directly from C++,
// the same options the kiosk's reader sets, on a packed luminance plane.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <cstring>

// ROW_STRIDE / PIX_STRIDE as ZXing's ImageView takes them (0 = packed).
extern "C" int bench_zxing_direct(const unsigned char *lum, int w, int h, int row_stride,
                                  int pix_stride, unsigned char *out, int cap)
{
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(false);
    hints.setTryRotate(false);
    hints.setTryDownscale(true);
    hints.setMaxNumberOfSymbols(1);
    ZXing::ImageView iv(lum, w, h, ZXing::ImageFormat::Lum, row_stride, pix_stride);
    ZXing::Results rs = ZXing::ReadBarcodes(iv, hints);
    for (const auto &r : rs) {
        if (!r.isValid())
            continue;
        const auto &b = r.bytes();
        int n = static_cast<int>(b.size()) < cap ? static_cast<int>(b.size()) : cap;
        std::memcpy(out, b.data(), static_cast<size_t>(n));
        return n;
    }
    return -1;
}
