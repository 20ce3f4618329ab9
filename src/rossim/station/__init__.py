"""rossim.station"""
