"""The chain graph's layout: one node per source, origins rightmost, bounded."""

from __future__ import annotations

from api.web.explorer.chain_graph import MAX_LABEL, Graph, layout, shorten

KCNA = ("S1", "KCNA")
YONHAP = ("S2", "Yonhap")
KYODO = ("S3", "Kyodo")
SPIEGEL = ("S4", "Der Spiegel")
UNNAMED = ("S5", "Ungenannte Quellen (Kyodo)")


def by_id(graph: Graph) -> dict[str, tuple[float, float]]:
    return {node.id: (node.x, node.y) for node in graph.nodes}


def test_reports_sharing_an_origin_meet_in_one_node_in_the_rightmost_column() -> None:
    # given: three reports, two of them from KCNA, one from Kyodo's unnamed sources
    chains = [[YONHAP, KCNA], [SPIEGEL, KCNA], [SPIEGEL, KYODO, UNNAMED]]
    # when
    graph = layout(chains)
    # then
    place = by_id(graph)
    assert sorted(place) == ["S1", "S2", "S3", "S4", "S5"]
    assert place["S1"][0] == place["S5"][0] == max(x for x, _ in place.values())
    assert place["S2"][0] == place["S3"][0] < place["S1"][0]
    assert place["S4"][0] < place["S2"][0]
    assert [n.id for n in graph.nodes if n.origin] == ["S1", "S5"]
    assert {(e.source, e.target) for e in graph.edges} == {
        ("S2", "S1"),
        ("S4", "S1"),
        ("S4", "S3"),
        ("S3", "S5"),
    }
    assert (graph.reports, graph.origins, graph.hidden_reports) == (3, 2, 0)
    assert graph.description == "3 reports from 2 origins"


def test_a_link_repeated_by_several_reports_is_one_edge_that_counts_them() -> None:
    # given
    chains = [[KYODO, UNNAMED], [KYODO, UNNAMED], [KCNA]]
    # when
    graph = layout(chains)
    # then
    assert [(e.source, e.target, e.reports) for e in graph.edges] == [("S3", "S5", 2)]
    assert graph.description == "3 reports from 2 origins"


def test_nodes_do_not_overlap_and_fit_the_drawing() -> None:
    # given: a fan of 30 reports from distinct publishers of one origin
    chains = [[(f"P{i}", f"Paper {i}"), KCNA] for i in range(30)]
    # when
    graph = layout(chains)
    # then
    boxes = {(n.x, n.y) for n in graph.nodes}
    assert len(boxes) == len(graph.nodes) == 31
    for node in graph.nodes:
        assert node.x >= 0 and node.x + node.width <= graph.width
        assert node.y >= 0 and node.y + node.height <= graph.height
    assert len(graph.edges) == 30


def test_a_source_both_origin_and_citing_stands_left_of_what_it_cites() -> None:
    # given: Kyodo is an origin in one report and cites unnamed sources in another
    chains = [[SPIEGEL, KYODO], [KYODO, UNNAMED]]
    # when
    graph = layout(chains)
    # then: every arrow points right, and Kyodo is still marked as an origin
    place = by_id(graph)
    assert place["S4"][0] < place["S3"][0] < place["S5"][0]
    assert {(e.source, e.target) for e in graph.edges} == {("S4", "S3"), ("S3", "S5")}
    assert {n.id for n in graph.nodes if n.origin} == {"S3", "S5"}


def test_a_loop_of_citations_is_drawn_and_ends() -> None:
    # given: Kyodo cites Yonhap in one report, Yonhap cites Kyodo in another
    chains = [[KYODO, YONHAP], [YONHAP, KYODO]]
    # when
    graph = layout(chains)
    # then
    assert len(graph.nodes) == 2
    assert {(e.source, e.target) for e in graph.edges} == {("S3", "S2"), ("S2", "S3")}


def test_beyond_the_bound_whole_chains_are_left_out_and_counted() -> None:
    # given: 40 two-link chains to distinct origins, 80 sources in all
    chains = [[(f"P{i}", f"Paper {i}"), (f"O{i}", f"Origin {i}")] for i in range(40)]
    # when
    graph = layout(chains, max_nodes=60)
    # then
    assert len(graph.nodes) == 60
    assert (graph.reports, graph.hidden_reports, graph.hidden_sources) == (30, 10, 20)
    assert graph.description == "30 reports from 30 origins; 10 more reports not drawn"


def test_no_chains_is_an_empty_graph() -> None:
    # when
    graph = layout([[], []])
    # then
    assert graph.nodes == [] and graph.edges == [] and graph.reports == 0


def test_long_names_are_shortened_at_a_word() -> None:
    # when
    short = shorten("Korean Central News Agency of the DPRK")
    # then
    assert len(short) <= MAX_LABEL and short.endswith("…")
    assert short == "Korean Central News…"
    assert shorten("KCNA") == "KCNA"
