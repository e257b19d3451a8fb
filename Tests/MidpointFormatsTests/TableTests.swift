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
