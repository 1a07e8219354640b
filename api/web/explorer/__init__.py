"""The provenance explorer: server-rendered pages for journalists (issue 14).

The pages are a client of our own API: each reads through the GraphQL schema, executed
in-process with the caller's Context, so the read policy and the limits apply as they do
at /graphql. They need no JavaScript and load nothing from another host.

Each page module takes the Site (site.py: reader, prefix, templates, error page) and
gives its routes; routes.py gathers them.

    GET {prefix}/               search form; ?q=TEXT lists the claims found, a page at a time
    GET {prefix}/claims/{id}    one claim: consensus, contest, first report, every attribution
    GET {prefix}/sources/{id}   one source: what it reported (newest first), who cites it
    GET {prefix}/compare?a=&b=  two sources: claims both report, with the agreement rate, and apart
    GET {prefix}/documents/{id} one document: its text, each quote marked as a link to its claim
"""

from __future__ import annotations

from api.web.explorer.routes import Explorer, explorer

__all__ = ["Explorer", "explorer"]
