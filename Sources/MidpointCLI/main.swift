// The `midpoint` executable: every command lives in MidpointCommands, where the tests call it in-process.
import MidpointCommands

MidpointCommand.main()
