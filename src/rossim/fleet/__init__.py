"""rossim.fleet"""
