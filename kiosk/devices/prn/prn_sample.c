/* prn_sample.c - the sample ticket of `kioskctl print-test`. */
#include "prn.h"

#include <stdlib.h>

prn_doc *prn_doc_sample_ticket(const void *payload, size_t len)
{
    prn_doc *d = prn_doc_new();
    if (!d)
        return NULL;
    prn_err e = PRN_OK;
    if (e == PRN_OK) e = prn_doc_text(d, "阳光小区服务站", PRN_SIZE_TITLE, PRN_BOLD, PRN_CENTER);
    if (e == PRN_OK) e = prn_doc_text(d, "Sunshine Community Service", PRN_SIZE_NORMAL, PRN_REGULAR, PRN_CENTER);
    if (e == PRN_OK) e = prn_doc_rule(d, 2, false);
    if (e == PRN_OK) e = prn_doc_text(d, "配送单 Delivery ticket", PRN_SIZE_LARGE, PRN_BOLD, PRN_LEFT);
    if (e == PRN_OK) e = prn_doc_text(d, "订单 Order: 20240315-0042\n地址: 3 栋 2 单元 501 室\n电话: 138****1234", PRN_SIZE_NORMAL, PRN_REGULAR, PRN_LEFT);
    if (e == PRN_OK) e = prn_doc_rule(d, 1, true);
    if (e == PRN_OK) e = prn_doc_text(d, "青菜 x2    鸡蛋 x10    口罩 x5", PRN_SIZE_NORMAL, PRN_REGULAR, PRN_LEFT);
    if (e == PRN_OK) e = prn_doc_text(d, "备注: 放在门口, 独居老人, 请先打电话。Leave at the door; call first.", PRN_SIZE_SMALL, PRN_REGULAR, PRN_LEFT);
    if (e == PRN_OK) e = prn_doc_space(d, 12);
    if (e == PRN_OK) e = prn_doc_qr(d, payload, len, QR_EC_Q, 0, PRN_CENTER);
    if (e == PRN_OK) e = prn_doc_text(d, "送达后请扫码 Scan when delivered", PRN_SIZE_SMALL, PRN_REGULAR, PRN_CENTER);
    if (e == PRN_OK) e = prn_doc_space(d, 24);
    if (e != PRN_OK) {
        prn_doc_free(d);
        return NULL;
    }
    return d;
}
