// zxing_compat.cpp - the kiosk's subset of the zxing-cpp C API (ZXingC.h,
// upstream 2.2+) implemented over the zxing-cpp 1.4 C++ API.
//
// Rules kept here: no C++ exception ever crosses into C (each entry point
// catches and records the message for ZXing_LastErrorMsg), every pointer
// handed out is freed by its matching *_delete or ZXing_free, and a NULL
// argument is answered like upstream (NULL / 0 / false, no crash).
#define ZX_USE_UTF8 1

#include <ZXing/ZXingC.h>

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

struct ZXing_ImageView {
    ZXing::ImageView view;
};

struct ZXing_ReaderOptions {
    ZXing::DecodeHints hints;
};

struct ZXing_Barcode {
    ZXing::Result result;
};

struct ZXing_Barcodes {
    std::vector<ZXing_Barcode> items;
};

namespace {

thread_local std::string last_error;

void set_error(const char *msg) { last_error = msg ? msg : "unknown error"; }

} // namespace

extern "C" {

ZXing_ImageView *ZXing_ImageView_new(const uint8_t *data, int width, int height,
                                     ZXing_ImageFormat format, int rowStride, int pixStride)
{
    last_error.clear();
    if (!data || width <= 0 || height <= 0) {
        set_error("invalid image: no data or non-positive size");
        return nullptr;
    }
    if (format != ZXing_ImageFormat_Lum) {
        set_error("unsupported image format");
        return nullptr;
    }
    if (pixStride < 0 || rowStride < 0) {
        set_error("invalid image: negative stride");
        return nullptr;
    }
    int ps = pixStride ? pixStride : 1;
    // Every pixel must be addressable: the last pixel of a row must lie
    // before the start of the next one. Checked in 64 bits.
    long long min_row = (long long)(width - 1) * ps + 1;
    if (rowStride && rowStride < min_row) {
        set_error("invalid image: row stride smaller than a row");
        return nullptr;
    }
    try {
        return new ZXing_ImageView{ZXing::ImageView(data, width, height, ZXing::ImageFormat::Lum,
                                                    rowStride, pixStride)};
    } catch (const std::exception &e) {
        set_error(e.what());
        return nullptr;
    }
}

void ZXing_ImageView_delete(ZXing_ImageView *iv) { delete iv; }

ZXing_ReaderOptions *ZXing_ReaderOptions_new(void)
{
    try {
        return new ZXing_ReaderOptions{};
    } catch (const std::exception &e) {
        set_error(e.what());
        return nullptr;
    }
}

void ZXing_ReaderOptions_delete(ZXing_ReaderOptions *opts) { delete opts; }

void ZXing_ReaderOptions_setTryHarder(ZXing_ReaderOptions *opts, bool tryHarder)
{
    if (opts)
        opts->hints.setTryHarder(tryHarder);
}

void ZXing_ReaderOptions_setTryRotate(ZXing_ReaderOptions *opts, bool tryRotate)
{
    if (opts)
        opts->hints.setTryRotate(tryRotate);
}

void ZXing_ReaderOptions_setTryDownscale(ZXing_ReaderOptions *opts, bool tryDownscale)
{
    if (opts)
        opts->hints.setTryDownscale(tryDownscale);
}

void ZXing_ReaderOptions_setIsPure(ZXing_ReaderOptions *opts, bool isPure)
{
    if (opts)
        opts->hints.setIsPure(isPure);
}

void ZXing_ReaderOptions_setFormats(ZXing_ReaderOptions *opts, ZXing_BarcodeFormats formats)
{
    // The C enum values are the C++ BarcodeFormat bits (both follow upstream).
    if (opts)
        opts->hints.setFormats(
            ZXing::BarcodeFormats(static_cast<ZXing::BarcodeFormat>(static_cast<int>(formats))));
}

void ZXing_ReaderOptions_setMaxNumberOfSymbols(ZXing_ReaderOptions *opts, int n)
{
    if (opts)
        opts->hints.setMaxNumberOfSymbols(static_cast<uint8_t>(n < 0 ? 0 : n > 255 ? 255 : n));
}

ZXing_Barcodes *ZXing_ReadBarcodes(const ZXing_ImageView *iv, const ZXing_ReaderOptions *opts)
{
    last_error.clear();
    if (!iv) {
        set_error("ImageView param is NULL");
        return nullptr;
    }
    try {
        ZXing::DecodeHints defaults;
        ZXing::Results results = ZXing::ReadBarcodes(iv->view, opts ? opts->hints : defaults);
        auto *out = new ZXing_Barcodes{};
        out->items.reserve(results.size());
        for (auto &r : results)
            out->items.push_back(ZXing_Barcode{std::move(r)});
        return out;
    } catch (const std::exception &e) {
        set_error(e.what());
        return nullptr;
    } catch (...) {
        set_error("unknown C++ exception");
        return nullptr;
    }
}

void ZXing_Barcodes_delete(ZXing_Barcodes *barcodes) { delete barcodes; }

int ZXing_Barcodes_size(const ZXing_Barcodes *barcodes)
{
    return barcodes ? static_cast<int>(barcodes->items.size()) : 0;
}

const ZXing_Barcode *ZXing_Barcodes_at(const ZXing_Barcodes *barcodes, int i)
{
    if (!barcodes || i < 0 || static_cast<size_t>(i) >= barcodes->items.size())
        return nullptr;
    return &barcodes->items[static_cast<size_t>(i)];
}

bool ZXing_Barcode_isValid(const ZXing_Barcode *barcode)
{
    return barcode && barcode->result.isValid();
}

ZXing_BarcodeFormat ZXing_Barcode_format(const ZXing_Barcode *barcode)
{
    if (!barcode)
        return ZXing_BarcodeFormat_None;
    return static_cast<ZXing_BarcodeFormat>(static_cast<int>(barcode->result.format()));
}

uint8_t *ZXing_Barcode_bytes(const ZXing_Barcode *barcode, int *len)
{
    if (len)
        *len = 0;
    if (!barcode)
        return nullptr;
    const ZXing::ByteArray &bytes = barcode->result.bytes();
    // Like upstream: a NUL follows the bytes, so text payloads can be used
    // as C strings; *len does not count it.
    auto *out = static_cast<uint8_t *>(std::malloc(bytes.size() + 1));
    if (!out) {
        set_error("out of memory");
        return nullptr;
    }
    if (!bytes.empty())
        std::memcpy(out, bytes.data(), bytes.size());
    out[bytes.size()] = 0;
    if (len)
        *len = static_cast<int>(bytes.size());
    return out;
}

ZXing_Position ZXing_Barcode_position(const ZXing_Barcode *barcode)
{
    ZXing_Position p{};
    if (!barcode)
        return p;
    const ZXing::Position &q = barcode->result.position();
    p.topLeft = {q.topLeft().x, q.topLeft().y};
    p.topRight = {q.topRight().x, q.topRight().y};
    p.bottomRight = {q.bottomRight().x, q.bottomRight().y};
    p.bottomLeft = {q.bottomLeft().x, q.bottomLeft().y};
    return p;
}

char *ZXing_LastErrorMsg(void)
{
    if (last_error.empty())
        return nullptr;
    auto *s = static_cast<char *>(std::malloc(last_error.size() + 1));
    if (s)
        std::memcpy(s, last_error.c_str(), last_error.size() + 1);
    return s;
}

void ZXing_free(void *ptr) { std::free(ptr); }

} // extern "C"
