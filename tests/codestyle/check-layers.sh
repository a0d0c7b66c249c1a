#!/usr/bin/env bash
# Fails when an #include crosses a layer: nats <- jetstream <- kv <- models <- ui, and the CLI uses
# neither the models nor Qt Gui/Widgets; the value decoders (codec, Qt Core only) stand alone, and the
# models, the CLI and the window use them. Each layer may include its own headers and those of the layers
# below it; Qt modules are checked by their include prefix (<QtCore/...>, <QtWidgets/...>), which the
# project always writes, so a bare <QWidget> is refused as well.
# Usage: check-layers.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: check-layers.sh SOURCE_DIR}
cd "$top" || exit 2

layers=(nats jetstream kv codec models cli ui)
declare -A dir=([nats]=src/nats [jetstream]=src/jetstream [kv]=src/kv [codec]=src/codec [models]=src/models [cli]=src/cli [ui]=ui)
# Project layers each layer may include.
declare -A allowed=(
    [nats]="nats" [jetstream]="nats jetstream" [kv]="nats jetstream kv" [codec]="codec"
    [models]="nats jetstream kv codec models" [cli]="nats jetstream kv codec cli"
    [ui]="nats jetstream kv codec models ui")
# Qt modules each layer may include.
declare -A qt=(
    [nats]="QtCore QtNetwork" [jetstream]="QtCore QtNetwork" [kv]="QtCore QtNetwork" [codec]="QtCore"
    [models]="QtCore QtNetwork QtGui" [cli]="QtCore QtNetwork" [ui]="QtCore QtNetwork QtGui QtWidgets")

# Which layer owns each project header.
declare -A owner=()
for layer in "${layers[@]}"; do
    for header in "${dir[$layer]}"/*.h; do
        [[ -e $header ]] && owner[$(basename "$header")]=$layer
    done
done

failures=0
for layer in "${layers[@]}"; do
    for file in "${dir[$layer]}"/*.h "${dir[$layer]}"/*.cpp; do
        [[ -e $file ]] || continue
        while IFS= read -r line; do
            number=${line%%:*}
            include=${line#*:}
            if [[ $include =~ \#include[[:space:]]*\"([^\"]+)\" ]]; then
                name=$(basename "${BASH_REMATCH[1]}")
                target=${owner[$name]:-}
                if [[ -z $target ]]; then
                    echo "$file:$number: includes \"$name\", which is no header of any layer"
                    failures=$((failures + 1))
                elif [[ " ${allowed[$layer]} " != *" $target "* ]]; then
                    echo "$file:$number: the $layer layer includes \"$name\" of the $target layer"
                    failures=$((failures + 1))
                fi
            elif [[ $include =~ \#include[[:space:]]*\<(Q[A-Za-z]*)(/|\>) ]]; then
                module=${BASH_REMATCH[1]}
                [[ ${BASH_REMATCH[2]} == / ]] || module="(no module prefix: ${module})"
                if [[ " ${qt[$layer]} " != *" $module "* ]]; then
                    echo "$file:$number: the $layer layer includes Qt's $module"
                    failures=$((failures + 1))
                fi
            fi
        done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file")
    done
done
if ((failures > 0)); then
    echo "check-layers: $failures include(s) cross a layer (nats <- jetstream <- kv <- models <- ui; codec alone; cli: no models, no Gui)"
    exit 1
fi
echo "check-layers: every include stays within its layer"
