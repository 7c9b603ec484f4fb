import LabCLI

SelfSupCommand.launch()
