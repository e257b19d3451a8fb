import MidpointFormats
import Testing

@Suite struct TableTests {
    @Test func writesCSVAndJSONWithEscaping() {
        var t = Table(columns: ["name", "nfe", "error"])
        t.append([.text("rm, \"pc\""), .integer(10), .number(0.25)])
        t.append([.text("ddim"), .integer(20), .number(.nan)])
        #expect(t.csv() == "name,nfe,error\n\"rm, \"\"pc\"\"\",10,0.25\nddim,20,nan\n")
        #expect(t.json() == """
            [
              {"name": "rm, \\"pc\\"", "nfe": 10, "error": 0.25},
              {"name": "ddim", "nfe": 20, "error": null}
            ]

            """)
    }

    @Test func parsesQuotedCSVAndNumbers() throws {
        let t = try Table.parseCSV("a,b,label\r\n1,\"2.5\",\"x, \"\"y\"\"\"\n-3,4e2,z\n")
        #expect(t.columns == ["a", "b", "label"])
        #expect(t.rows[0][2] == .text("x, \"y\""))
        let (rows, values) = try t.numericColumns(["b", "a"])
        #expect(rows == 2 && values == [2.5, 1, 400, -3])
    }

    @Test func malformedCSVGivesClearErrors() {
        #expect(throws: TableError.empty) { try Table.parseCSV("") }
        #expect(throws: TableError.fieldCount(line: 3, expected: 2, actual: 3)) { try Table.parseCSV("a,b\n1,2\n3,4,5\n") }
        #expect(throws: TableError.unterminatedQuote(line: 2)) { try Table.parseCSV("a,b\n\"1,2\n") }
        #expect(throws: TableError.notANumber(line: 3, column: "b", value: "x")) {
            try Table.parseCSV("a,b\n1,2\n3,x\n").numericColumns(["a", "b"])
        }
        #expect(throws: TableError.notANumber(line: 2, column: "a", value: "nan")) {
            try Table.parseCSV("a\nnan\n").numericColumns(["a"])
        }
        #expect(throws: TableError.missingColumn("c", available: ["a", "b"])) {
            try Table.parseCSV("a,b\n1,2\n").numericColumns(["c"])
        }
    }
}

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
