# Shared by the bench scripts (sourced): `--help` prints the calling script's header comment,
# and counts are checked before any long work starts.

# help_if_asked SCRIPT ARG1 — with -h or --help, print SCRIPT's header (line 2 up to its
# `set -euo` line, comment marks stripped) and exit 0.
help_if_asked() {
  case "${2:-}" in
    -h | --help)
      sed -n '2,/^set -euo/p' "$1" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
  esac
}

# need_count SCRIPT WHAT VALUE MIN USAGE — VALUE must be a whole number ≥ MIN, else a usage
# error naming WHAT and exit 2.
need_count() {
  if ! [[ "$3" =~ ^[0-9]+$ ]] || [ "$3" -lt "$4" ]; then
    echo "$(basename "$1"): $2 must be a whole number, $4 or more, not '$3' (usage: $5; --help for more)" >&2
    exit 2
  fi
}
