import LabCLI

SelfSupCommand.main()
