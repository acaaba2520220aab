#!/usr/bin/env bash
# kiosk-xvfb.sh - measures the kiosk the way ../shared/anchors/anchor-chromium.sh
# measures a Chromium web kiosk: a private Xvfb at 1080x1920x24, no window
# manager, the kiosk fullscreen on its home screen; then
#   first_paint_ms  launch -> the home screen's red header in the X framebuffer
#                   (polled every 10 ms with XGetImage)
#   pss_mb, rss_mb  the kiosk process, SETTLE_S seconds after first paint
#   idle_cpu_pct    the kiosk's CPU over an idle CPU_WINDOW_S window, % of one core
#   xvfb_cpu_pct    the X server's over the same window
# Usage: kiosk-xvfb.sh KIOSK_BINARY RENDERER(software|opengl) [extra kiosk args]
# Output: one line "kiosk-RENDERER: first_paint_ms=.. pss_mb=.. ..."
set -u -o pipefail
kiosk=$1 renderer=$2
shift 2
SETTLE_S=${SETTLE_S:-10} CPU_WINDOW_S=${CPU_WINDOW_S:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
for t in Xvfb "$PY" "$kiosk"; do command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
run=$(mktemp -d /tmp/kiosk-xvfb.XXXXXX)
disp=:$((90 + RANDOM % 400))
Xvfb "$disp" -screen 0 1080x1920x24 -nolisten tcp >"$run/xvfb.log" 2>&1 &
xvfb=$!
cleanup() { kill "$kpid" "$xvfb" 2>/dev/null; wait 2>/dev/null; rm -rf "$run"; }
kpid=""
trap cleanup EXIT
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.05; done

cat >"$run/probe.py" <<'PY'
import ctypes as C, os, sys, time
X = C.CDLL("libX11.so.6")
X.XOpenDisplay.restype = C.c_void_p; X.XOpenDisplay.argtypes = [C.c_char_p]
X.XDefaultRootWindow.restype = C.c_ulong; X.XDefaultRootWindow.argtypes = [C.c_void_p]
X.XGetImage.restype = C.c_void_p
X.XGetImage.argtypes = [C.c_void_p, C.c_ulong, C.c_int, C.c_int, C.c_uint, C.c_uint, C.c_ulong, C.c_int]
X.XGetPixel.restype = C.c_ulong; X.XGetPixel.argtypes = [C.c_void_p, C.c_int, C.c_int]
X.XDestroyImage.argtypes = [C.c_void_p]
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in f[11:15])
def mem(pid):
    out = {"Pss:": 0, "Rss:": 0}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        k = line.split(":")[0] + ":"
        if k in out: out[k] = int(line.split()[1])
    return out["Pss:"] / 1024, out["Rss:"] / 1024
mode, disp, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
d = X.XOpenDisplay(disp.encode()); root = X.XDefaultRootWindow(d)
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    os.environ["DISPLAY"] = disp
    os.execv(argv[0], argv)
print(pid, flush=True)
first = None
while time.monotonic() - t0 < 30:
    img = X.XGetImage(d, root, 0, 0, 1080, 8, 0xFFFFFF, 2)
    a, b = X.XGetPixel(img, 4, 4), X.XGetPixel(img, 1075, 4)
    X.XDestroyImage(img)
    if a == b == 0x8E1B1B:
        first = (time.monotonic() - t0) * 1000; break
    time.sleep(0.01)
settle, window = float(os.environ["SETTLE_S"]), float(os.environ["CPU_WINDOW_S"])
time.sleep(settle)
pss, rss = mem(pid)
xpid = int(os.environ["XVFB_PID"]); hz = os.sysconf("SC_CLK_TCK")
c0, x0 = cpu(pid), cpu(xpid); w0 = time.monotonic()
time.sleep(window)
c1, x1 = cpu(pid), cpu(xpid); w = time.monotonic() - w0
print(f"first_paint_ms={first if first is None else round(first)} pss_mb={pss:.1f} rss_mb={rss:.1f} "
      f"idle_cpu_pct={100*(c1-c0)/hz/w:.2f} xvfb_cpu_pct={100*(x1-x0)/hz/w:.2f}", flush=True)
PY
data="$run/data"; mkdir -p "$data"
SETTLE_S=$SETTLE_S CPU_WINDOW_S=$CPU_WINDOW_S XVFB_PID=$xvfb "$PY" "$run/probe.py" m "$disp" "$kiosk" \
  --config "$root/assets/demo/kiosk.ini" --root "$root" --data-dir "$data" --renderer "$renderer" "$@" \
  >"$run/out" 2>"$run/err" &
probe=$!
for _ in $(seq 50); do kpid=$(head -n1 "$run/out" 2>/dev/null); [ -n "$kpid" ] && break; sleep 0.05; done
wait "$probe"
echo "kiosk-$renderer: $(tail -n1 "$run/out")"
