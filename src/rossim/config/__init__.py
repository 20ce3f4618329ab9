"""rossim.config"""
