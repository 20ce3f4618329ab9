"""rossim.analysis"""
