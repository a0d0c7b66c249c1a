#!/usr/bin/env bash
# Shows that check-layers.sh can fail: a copy of the tree's layout with one include that crosses a
# layer in each direction that matters must be refused, and the same tree without it accepted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/src/{nats,jetstream,kv,codec,models,cli} "$tree"/ui
printf '#pragma once\n#include <QtCore/QObject>\n' > "$tree/src/nats/natsa.h"
printf '#pragma once\n#include "natsa.h"\n' > "$tree/src/kv/kva.h"
printf '#pragma once\n#include <QtCore/QByteArray>\n' > "$tree/src/codec/codeca.h"
printf '#pragma once\n#include "kva.h"\n#include "codeca.h"\n#include <QtGui/QColor>\n' > "$tree/src/models/modela.h"
printf '#include "kva.h"\n#include "codeca.h"\n' > "$tree/src/cli/clia.cpp"
printf '#include "modela.h"\n#include <QtWidgets/QWidget>\n' > "$tree/ui/uia.cpp"
"$here/check-layers.sh" "$tree" >/dev/null || { echo "selftest: a clean tree was refused"; exit 1; }
expect_refused() {
    local file=$1 line=$2
    cp "$tree/$file" "$tree/$file.orig"
    printf '%s\n' "$line" >> "$tree/$file"
    if "$here/check-layers.sh" "$tree" >/dev/null; then
        echo "selftest: $file with '$line' was accepted"
        exit 1
    fi
    mv "$tree/$file.orig" "$tree/$file"
}
expect_refused src/nats/natsa.h '#include "kva.h"'             # a lower layer includes a higher one
expect_refused src/kv/kva.h '#include "modela.h"'
expect_refused src/cli/clia.cpp '#include "modela.h"'          # the CLI uses no models
expect_refused src/cli/clia.cpp '#include <QtGui/QColor>'      # nor Qt Gui
expect_refused src/models/modela.h '#include <QtWidgets/QWidget>'
expect_refused src/codec/codeca.h '#include "kva.h"'          # the decoders stand alone
expect_refused src/codec/codeca.h '#include <QtNetwork/QTcpSocket>'
expect_refused src/kv/kva.h '#include "codeca.h"'
expect_refused src/kv/kva.h '#include <QWidget>'               # a Qt include without its module
echo "selftest: check-layers refuses every crossing include it was shown"
