# Sourced by scripts/start and scripts/test: find a Python >= 3.11 that may install packages.
# Sets PYTHON (a virtual environment in .venv/ where the system Python is "externally managed",
# as Debian 12's is) and defines as_root and apt_install.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "Installing $* with apt-get..."
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || apt_install python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "The workbench needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
  exit 1
fi

# Debian's own Python refuses `pip install` outside a virtual environment (PEP 668).
_externally_managed() {
  "$PYTHON" - <<'PYEOF'
import sys, sysconfig
from pathlib import Path
in_venv = sys.prefix != sys.base_prefix
sys.exit(0 if not in_venv and (Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists() else 1)
PYEOF
}
if [ -x .venv/bin/python ] || _externally_managed; then
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv 2>/dev/null || { apt_install python3-venv python3-pip; "$PYTHON" -m venv .venv; }
  fi
  PYTHON="$(pwd)/.venv/bin/python"
  export PATH="$(pwd)/.venv/bin:$PATH"   # so that `jupyter`, `voila` and `workbench` come from it
fi
"$PYTHON" -m pip --version >/dev/null 2>&1 || apt_install python3-pip
