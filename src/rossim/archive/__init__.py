"""rossim.archive"""
