import MidpointPlots
import Testing

@Suite struct SVGChartTests {
    @Test func rendersPanelsLegendFloorAndSkipsUndrawablePoints() {
        let chart = SVGChart(title: "t <1>", xLabel: "NFE", panels: [
            SVGChart.Panel(title: "W2", series: [
                SVGChart.Series(name: "rm", points: [(5, 1), (10, .nan), (20, 0.1)]),
                SVGChart.Series(name: "ddim", points: [(5, 2), (10, 1), (20, 0)]),
            ], floor: 0.05),
            SVGChart.Panel(title: "empty", series: [SVGChart.Series(name: "rm", points: [(5, .infinity)])]),
        ], xTicks: [5, 10, 20])
        let svg = chart.render()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("t &lt;1&gt;"))                  // escaped title
        #expect(svg.contains("stroke-dasharray"))              // the floor
        #expect(svg.contains(">rm<") && svg.contains(">ddim<")) // legend
        #expect(svg.contains("no finite data"))               // a panel with nothing drawable
        // Markers: one per legend entry (2) and one per drawable point (rm 2 of 3, ddim 2 of 3: the NaN
        // and the zero cannot sit on log axes).
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 + 4)
        // rm's NaN point breaks its line: its path has two moves.
        let rmPath = svg.components(separatedBy: "\n").first { $0.hasPrefix("<path") && $0.contains("#1f77b4") } ?? ""
        #expect(rmPath.components(separatedBy: " M").count - 1 == 2)
    }
}
