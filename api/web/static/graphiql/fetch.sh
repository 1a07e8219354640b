#!/bin/sh
# Re-fetch the files GraphiQL's page loads, with their licenses, from the npm registry.
# The versions are those of strawberry's own page (strawberry/static/graphiql.html).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package@version  file in the package  name shipped here (versioned: the server lets
# browsers keep them for a year, api/web/graphiql.py)
fetch() {
    spec=$1 file=$2 name=$3
    dir="$work/$(echo "$spec" | tr '/@' '__')"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
    cp "$dir/package/$file" "$here/$name"
    target="$here/LICENSE.$(echo "${spec%@*}" | tr -d '@' | tr '/' '-')"
    license=$(ls "$dir/package" | grep -i '^licen[cs]e' | head -n 1 || true)
    if [ -n "$license" ]; then
        cp "$dir/package/$license" "$target"
    else
        # @graphiql/plugin-explorer ships no license file; its package.json says MIT and
        # its repository is graphiql's (graphql/graphiql), whose MIT license is this one.
        { echo "$spec: \"license\": \"MIT\" in its package.json; the MIT license of graphql/graphiql:"
          echo; cat "$here/LICENSE.graphiql"; } >"$target"
    fi
}

fetch react@18.2.0 umd/react.production.min.js react-18.2.0.production.min.js
fetch react-dom@18.2.0 umd/react-dom.production.min.js react-dom-18.2.0.production.min.js
fetch js-cookie@3.0.5 dist/js.cookie.min.js js-cookie-3.0.5.min.js
fetch graphiql@3.8.3 graphiql.min.js graphiql-3.8.3.min.js
fetch graphiql@3.8.3 graphiql.min.css graphiql-3.8.3.min.css
fetch @graphiql/plugin-explorer@1.0.2 dist/index.umd.js plugin-explorer-1.0.2.umd.js
fetch @graphiql/plugin-explorer@1.0.2 dist/style.css plugin-explorer-1.0.2.css
